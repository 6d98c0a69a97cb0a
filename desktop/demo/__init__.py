"""The sample archive and its generated files: not part of the domain core."""
