"""Digital signatures on documents (chữ ký số): PAdES signing of PDFs and their verification (issue 9).

Decree 118/2025/NĐ-CP Art. 22 has results returned as digitally signed electronic documents, and Art. 17 has
scanned components signed with the receiving officer's personal signature. This package signs with pyHanko
(`signer`), verifies against the trusted roots and their revocation lists (`verify`), and, for development and
tests, runs a local certificate authority the project creates itself (`authority`).
"""
