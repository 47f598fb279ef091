"""dossier: map evidence of attacks on protected objects to the elements of IHL norms and crimes."""

__version__ = "0.1.0"
