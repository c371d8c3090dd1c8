"""Sealing personal data at rest: new events' boxes sealed to the health authority's key, and
what happens without that key.

`payload_format` says how an event's personal data is stored (FORMAT_*). The boxes are made by
checkpoint_common.seal (version 2: X25519 + HKDF-SHA256 + AES-256-GCM, bound to the event id,
this device's id and the person key, padded to a few fixed sizes).

Nothing the kiosk writes can be opened with what is on the kiosk (issue #13): with the
authority's public key (`authority_public_key`, from `install.sh --authority` or enrollment)
every box is sealed to it; without one, the kiosk still records every scan but keeps only the
clear fields (time, direction, verdict, kind, masked name, birth year, the person key) and no
personal data at all (FORMAT_WITHHELD): there is no key of the kiosk's own to seal to. Kiosks
before #13 sealed to a "holding key" kept in `meta` beside the data; a data folder that still
has one is settled at open (`settle_held`): re-sealed to the authority's key when it is known,
else the held boxes are deleted with the key (docs/reliability.md, "No key beside the data").
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
# enrollment or the installer fill in) and, in a data folder from before issue #13 only, the
# kiosk's own holding key (settle_held removes it).
META_AUTHORITY_KEY = "seal.authority_public_key"
META_HOLDING_KEY = "seal.holding_private_key"
META_PLAIN_SEALED = "seal.plain_rows_sealed"
# payload_format values: how an event's personal data is stored.
FORMAT_PLAIN = "plain"  # written in clear by a kiosk before sealing existed; sealed at open
FORMAT_SEALED = "sealed"  # sealed to the health authority's key (seal_key names it)
FORMAT_HELD = "held"  # before #13: sealed to the holding key (settle_held ends it)
FORMAT_WITHHELD = "withheld"  # personal data not kept: no authority key when it was recorded
FORMAT_NONE = "none"  # no personal data (e.g. an auto-checkout, a payload over the size limit)
_RESEAL_BATCH = 500


class SealingPart(StoreBase):
    """The sealing part of the Store (kiosk.store.Store composes the parts)."""

    _authority: PublicKey | None

    def _load_authority(self) -> None:
        authority = self.get_meta(META_AUTHORITY_KEY)
        self._authority = PublicKey.from_text(authority) if authority else None

    def _seal(
        self, event_id: str, person_key: str, data: PersonalData | None
    ) -> tuple[bytes | None, str | None, str]:
        """(box, key id, payload_format) for an event's personal data, sealed now (before the
        transaction that writes it). Without the authority's key nothing is kept."""
        if data is None or data.empty:
            return None, None, FORMAT_NONE
        if self._authority is None:
            return None, None, FORMAT_WITHHELD
        box = seal_personal(
            self._authority, event_id, data, device_id=self.device_id, person_key=person_key
        )
        return box, self._authority.key_id, FORMAT_SEALED

    @property
    def authority_key(self) -> PublicKey | None:
        return self._authority

    def withheld_count(self) -> int:
        """Events recorded without their personal data (no authority key at the time), and
        held ones not settled yet (a data folder from before #13 opened read-only)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM events WHERE payload_format IN (?, ?)",
                (FORMAT_WITHHELD, FORMAT_HELD),
            ).fetchone()[0]
        )

    def has_holding_key(self) -> bool:
        """A private key sits in this database (a data folder from before #13, not settled)."""
        return self.get_meta(META_HOLDING_KEY) is not None

    def use_authority_key(self, key: PublicKey) -> int:
        """Seal from now on to the health authority's `key`; a holding key left by a kiosk
        before #13 is settled at once (`settle_held`: its boxes re-sealed to `key`, then the
        key destroyed). Returns the number of events re-sealed.

        Events already sealed to an earlier authority key stay as they are (only that key's
        holder can open them). Raises StoreError when a held box does not open (the holding
        key is then kept, nothing is lost).
        """
        if self._authority != key:
            self.set_meta(META_AUTHORITY_KEY, key.to_text())
            self._authority = key
        return self.settle_held()

    def settle_held(self) -> int:
        """End the holding-key mechanism of kiosks before #13 in this database. With the
        authority's key known, every held box is opened and sealed again to it (version 2);
        without it, the held boxes are deleted (their events keep their clear fields, marked
        FORMAT_WITHHELD): a private key beside the data is what a thief needs, and nothing is
        worth keeping it. Then the holding key is deleted and the WAL truncated, so no page
        still holds it. Returns the number of events re-sealed (0 when deleted). Raises
        StoreError when a held box does not open (the holding key is then kept)."""
        holding_text = self.get_meta(META_HOLDING_KEY)
        if holding_text is None:
            return 0
        holding = PrivateKey.from_text(holding_text)
        resealed = 0
        if self._authority is not None:
            resealed = self._reseal(holding, self._authority)
            log.info(
                "sealed %d held events to the authority key %s", resealed, self._authority.key_id
            )
        else:
            with self._transaction() as conn:
                dropped = conn.execute(
                    "UPDATE events SET sealed = NULL, seal_key = NULL, payload_format = ? "
                    "WHERE payload_format = ?",
                    (FORMAT_WITHHELD, FORMAT_HELD),
                ).rowcount
            log.warning(
                "no health authority key: the personal data of %d events held under this "
                "kiosk's own key was deleted with that key (their times and masked names stay)",
                dropped,
            )
        with self._transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (META_HOLDING_KEY,))
        self.checkpoint(truncate=True)
        return resealed

    def _reseal(self, holding: PrivateKey, key: PublicKey) -> int:
        total = 0
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, person_key, sealed FROM events "
                    "WHERE payload_format = ? LIMIT ?",
                    (FORMAT_HELD, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    return total
                for seq, event_id, person_key, box in rows:
                    try:
                        data = open_personal(holding, event_id, box)
                    except SealError as exc:
                        raise StoreError(f"event seq {seq}: a held box does not open") from exc
                    sealed = seal_personal(
                        key, event_id, data, device_id=self.device_id, person_key=person_key
                    )
                    conn.execute(
                        "UPDATE events SET sealed = ?, seal_key = ?, payload_format = ? "
                        "WHERE seq = ?",
                        (sealed, key.key_id, FORMAT_SEALED, seq),
                    )
                total += len(rows)

    def _seal_plain(self) -> None:
        """Seal the personal data of rows written in clear by a kiosk before version 0005 (to
        the authority's key; without one it is deleted, as for a new scan), then mark it done
        in `meta` (so later opens skip the table scan)."""
        if self.get_meta(META_PLAIN_SEALED) is not None:
            return
        total = 0
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, person_key, payload, fields_json, declaration_json "
                    "FROM events WHERE payload_format = ? LIMIT ?",
                    (FORMAT_PLAIN, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    conn.execute(UPSERT_META, (META_PLAIN_SEALED, "1"))
                    break
                for seq, event_id, person_key, payload, fields_json, declaration_json in rows:
                    data = PersonalData(
                        payload=bytes(payload) if payload is not None else None,
                        fields=json.loads(fields_json) if fields_json else None,
                        declaration=json.loads(declaration_json) if declaration_json else None,
                    )
                    box, key_id, fmt = self._seal(event_id, person_key, data)
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
