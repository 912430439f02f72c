"""Look-ups the API needs by something other than an id: towns to list, accounts by token hash."""

from domain.account import Account
from domain.town import Town

from .base import Projection


class Directory(Projection):
    name = "directory"
    tables = {
        "towns": "town_id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT",
        "account_tokens": "token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL",
    }

    def handlers(self):
        return {Town.Created: self.town_created, Account.Opened: self.account_opened}

    def town_created(self, cursor, event, position):
        cursor.execute("INSERT INTO towns (town_id, name, county) VALUES (?, ?, ?)",
                       (str(event.originator_id), event.name, event.county))

    def account_opened(self, cursor, event, position):
        cursor.execute("INSERT INTO account_tokens (token_hash, account_id) VALUES (?, ?)",
                       (event.token_hash, str(event.originator_id)))
