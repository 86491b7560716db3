"""Write-audit-publish: versioned official figures, never overwritten, replaced atomically."""
