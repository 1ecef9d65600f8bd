"""Returning results by public post (trả kết quả qua bưu chính công ích, Decree 118/2025 Art. 22).

A result returned by post becomes a shipment: opened in the same transaction as the return (an outbox row),
sent to the postal service by `cchc postal_sync`, then tracked until the service reports it delivered, with the
proof of delivery, or sent back. The wire contract is docs/postal.md. This app reads `dossiers`; nothing in
`dossiers` imports it.
"""
