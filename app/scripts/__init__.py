"""Call scripts per situation: templates (resources/scripts/<lang>/), rendering, versions."""
