"""Client pages, by sub-domain: lists (clients, next steps, exports), the client page and
its forms, contacts, activities, and the import."""
