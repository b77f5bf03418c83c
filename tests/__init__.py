"""The Pustaka test suite: unit, integration, functional and browser tiers."""
