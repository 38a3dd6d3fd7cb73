"""Review and training UI (issue 6): library, player, tagging, scorecards, case review,
meeting mode, reports, sign-in. Widgets call the services in app.review; they keep no
business state beyond what they show."""
