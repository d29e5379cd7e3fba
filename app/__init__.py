"""CommuneDesk application core: domain rules, the encrypted local store and the headless CLI.

Nothing in this package imports Qt; ui/ sits on top of it and sync/ below it.
"""

__version__ = "0.1.0"
