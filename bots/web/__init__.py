"""The web surface: booking page, JSON API, health."""
