"""Qt face of Zicha: thin models and views over desktop.core services."""
