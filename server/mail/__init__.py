"""Mail storage: mailboxes, messages as real RFC 5322 MIME, threads, blobs, delivery."""
