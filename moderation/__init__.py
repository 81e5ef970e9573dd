"""Moderation: screening comments, editors' decisions, reports, sanctions and the audit trail."""
