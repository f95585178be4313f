"""Webhooks (extension): callback checks, allowed targets, durable deliveries and their sender."""
