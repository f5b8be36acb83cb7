"""Writes of the assets chapter, one module per document:

- ``ledger``: the append-only movement ledger and the register (R-4.3)
- ``handover``: 实物交接 when people leave or move (R-4.3, R-1.7)
- ``incidents``: damage, loss and theft charged to the person responsible (R-4.4)
- ``stocktake``: periodic counts per outlet
- ``custodians``: who keeps a team's assets at each outlet (R-4.2)
"""

from assets.services.custodians import set_outlet_custodian
from assets.services.handover import (
    count_all,
    count_line,
    open_handovers,
    receive_all,
    receive_line,
    set_receiver,
    start_handover,
)
from assets.services.incidents import report_incident, submit_incident, update_incident
from assets.services.ledger import (
    Place,
    receive_stock,
    record_movement,
    register_items,
    update_item,
)
from assets.services.stocktake import (
    close_stocktake,
    confirm_present,
    open_stocktake,
    record_counts,
    resolve_line,
)

__all__ = [
    "Place",
    "close_stocktake",
    "confirm_present",
    "count_all",
    "count_line",
    "open_handovers",
    "open_stocktake",
    "receive_all",
    "receive_line",
    "receive_stock",
    "record_counts",
    "record_movement",
    "register_items",
    "report_incident",
    "resolve_line",
    "set_outlet_custodian",
    "set_receiver",
    "start_handover",
    "submit_incident",
    "update_incident",
    "update_item",
]
