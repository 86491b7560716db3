"""finstat core: settings, periods and money helpers shared by every package."""
