// Tests for SynclineSandbox arrive with its first code (issue 3); the target exists so the layout is fixed.
