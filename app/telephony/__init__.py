"""Telephony (issue 5): the built-in baresip softphone, Asterisk AMI, a local webhook.

Every source turns what it hears into :class:`app.telephony.events.CallEvent`; the
:class:`app.telephony.calls.CallTracker` turns those into ``calls`` rows and the missed-call
callback list. No Qt here: the UI subscribes through ``ui.telephony.bridge``.
"""
