"""Citizens' health declarations: the `/declare` page, the API, sealed storage, and the signed
personal QR code a kiosk checks offline (docs/declarations.md).

form: the fields and their checks, the code's text; service: signing, sealing, storing;
web: the page and the API; texts: the page's words in Vietnamese and English; commands:
`kiosk-central declaration-key` and `kiosk-central declarations`.
"""
