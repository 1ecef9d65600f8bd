"""The national public service portal adapter (Cổng Dịch vụ công quốc gia, DVCQG).

Three flows, one JSON contract (docs/national-portal.md):
- out: every change of a dossier's national status is written to an outbox (`Message`) in the transaction that
  made it, then sent by `cchc national_sync`, in order per dossier, retried, with failures shown and resent by
  hand;
- catalog: procedure updates are pulled into the catalog as drafts (`CatalogPull`);
- in: dossiers filed on the national portal are received as online dossiers (`InboundFiling`).
"""
