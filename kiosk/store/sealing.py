"""Sealing personal data at rest: which key a new event's box is sealed to, re-sealing what was
held under the kiosk's own key once the health authority's key is known, and sealing rows left
in clear by a kiosk before version 0005.

`payload_format` says how an event's personal data is stored (FORMAT_*). The boxes are made by
checkpoint_common.seal (X25519 + HKDF-SHA256 + AES-256-GCM, the event_id as associated data).
Thread contract: the store's (one owner thread); each batch is one short transaction.
"""

from __future__ import annotations

import json
import logging

from checkpoint_common.seal import (
    PersonalData,
    PrivateKey,
    PublicKey,
    SealError,
    open_personal,
    seal_personal,
)
from kiosk.store.connection import UPSERT_META, StoreBase
from kiosk.store.errors import StoreError

log = logging.getLogger(__name__)

# Where the seal keys live in `meta`: the authority's public key (from the settings, which
# enrollment fills in) and, until that is known, the kiosk's own temporary holding key.
META_AUTHORITY_KEY = "seal.authority_public_key"
META_HOLDING_KEY = "seal.holding_private_key"
META_PLAIN_SEALED = "seal.plain_rows_sealed"
# payload_format values: how an event's personal data is stored.
FORMAT_PLAIN = "plain"  # written in clear by a kiosk before sealing existed; sealed at open
FORMAT_SEALED = "sealed"  # sealed to the health authority's key (seal_key names it)
FORMAT_HELD = "held"  # sealed to the holding key; re-sealed to the authority's when it arrives
FORMAT_NONE = "none"  # no personal data (e.g. an auto-checkout, a payload over the size limit)
_RESEAL_BATCH = 500


class SealingPart(StoreBase):
    """The sealing part of the Store (kiosk.store.Store composes the parts)."""

    _authority: PublicKey | None

    def _load_authority(self) -> None:
        authority = self.get_meta(META_AUTHORITY_KEY)
        self._authority = PublicKey.from_text(authority) if authority else None

    def _seal_target(self) -> tuple[PublicKey, str]:
        """The key new personal data is sealed to, and the payload_format that says which."""
        if self._authority is not None:
            return self._authority, FORMAT_SEALED
        holding = self._ensure_meta(META_HOLDING_KEY, lambda: PrivateKey.generate().to_text())
        return PrivateKey.from_text(holding).public, FORMAT_HELD

    def _seal(
        self, event_id: str, data: PersonalData | None
    ) -> tuple[bytes | None, str | None, str]:
        """(box, key id, payload_format) for an event's personal data, sealed now (before the
        transaction that writes it)."""
        if data is None or data.empty:
            return None, None, FORMAT_NONE
        key, fmt = self._seal_target()
        return seal_personal(key, event_id, data), key.key_id, fmt

    @property
    def authority_key(self) -> PublicKey | None:
        return self._authority

    def held_count(self) -> int:
        """Events sealed to the holding key, waiting for the authority's key (not enrolled)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM events WHERE payload_format = ?", (FORMAT_HELD,)
            ).fetchone()[0]
        )

    def use_authority_key(self, key: PublicKey) -> int:
        """Seal from now on to the health authority's `key`; re-seal every event held under the
        holding key to it, then destroy the holding key. Returns the number of events re-sealed.

        Events already sealed to an earlier authority key stay as they are (only that key's
        holder can open them). Short transactions of a few hundred rows; afterwards the WAL is
        truncated so no page still holds the holding key or a held box. Raises StoreError when
        a held box does not open (the holding key is then kept, nothing is lost).
        """
        if self._authority == key and self.get_meta(META_HOLDING_KEY) is None:
            return 0
        # (The same key with the holding key still there: a re-seal was cut short, by a kill
        # or a power cut; it resumes here.)
        self.set_meta(META_AUTHORITY_KEY, key.to_text())
        self._authority = key
        holding_text = self.get_meta(META_HOLDING_KEY)
        if holding_text is None:
            return 0
        holding = PrivateKey.from_text(holding_text)
        resealed = self._reseal(holding, key)
        with self._transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (META_HOLDING_KEY,))
        self.checkpoint(truncate=True)
        log.info("sealed %d held events to the authority key %s", resealed, key.key_id)
        return resealed

    def _reseal(self, holding: PrivateKey, key: PublicKey) -> int:
        total = 0
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, sealed FROM events WHERE payload_format = ? LIMIT ?",
                    (FORMAT_HELD, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    return total
                for seq, event_id, box in rows:
                    try:
                        data = open_personal(holding, event_id, box)
                    except SealError as exc:
                        raise StoreError(f"event seq {seq}: a held box does not open") from exc
                    conn.execute(
                        "UPDATE events SET sealed = ?, seal_key = ?, payload_format = ? "
                        "WHERE seq = ?",
                        (seal_personal(key, event_id, data), key.key_id, FORMAT_SEALED, seq),
                    )
                total += len(rows)

    def _seal_plain(self) -> None:
        """Seal the personal data of rows written in clear by a kiosk before version 0005, then
        mark it done in `meta` (so later opens skip the table scan)."""
        if self.get_meta(META_PLAIN_SEALED) is not None:
            return
        total = 0
        has_plain = self._conn.execute(
            "SELECT 1 FROM events WHERE payload_format = ? LIMIT 1", (FORMAT_PLAIN,)
        ).fetchone()
        key, key_fmt = self._seal_target() if has_plain else (None, FORMAT_NONE)
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, payload, fields_json, declaration_json FROM events "
                    "WHERE payload_format = ? LIMIT ?",
                    (FORMAT_PLAIN, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    conn.execute(UPSERT_META, (META_PLAIN_SEALED, "1"))
                    break
                for seq, event_id, payload, fields_json, declaration_json in rows:
                    data = PersonalData(
                        payload=bytes(payload) if payload is not None else None,
                        fields=json.loads(fields_json) if fields_json else None,
                        declaration=json.loads(declaration_json) if declaration_json else None,
                    )
                    box, key_id, fmt = None, None, FORMAT_NONE
                    if key is not None and not data.empty:
                        box = seal_personal(key, event_id, data)
                        key_id, fmt = key.key_id, key_fmt
                    conn.execute(
                        "UPDATE events SET payload = NULL, fields_json = NULL, "
                        "declaration_json = NULL, sealed = ?, seal_key = ?, payload_format = ? "
                        "WHERE seq = ?",
                        (box, key_id, fmt, seq),
                    )
                total += len(rows)
        if total:
            # secure_delete zeroed the old cells; truncating the WAL drops its copies too.
            self.checkpoint(truncate=True)
            log.info("sealed the personal data of %d events written before sealing", total)
