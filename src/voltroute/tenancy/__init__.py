"""Tenancy: tenants, users, tokens and their audit log, the vehicles and stations a tenant owns."""
