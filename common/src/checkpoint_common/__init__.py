"""What the checkpoint kiosk (`kiosk`) and its central server (`central`) share, in one place
that both packages install: the wire format (protocol), sealing of personal data (seal), the
settings and their checks (settings, kinds), the stays rule and co-presence (stays), the EU DCC
trust list (trustlist), times on the wire (timefmt), safe logging (safelog), durable SQLite
files (durable), files written atomically and privately (privatefile) and CSV files (csvfile).

Nothing here imports Qt, the scanner, the kiosk's store or the web framework.
"""
