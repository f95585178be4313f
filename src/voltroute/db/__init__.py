"""The database: engine, sessions, migrations, the persistent records and their JSON codec."""
