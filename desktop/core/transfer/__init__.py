"""报送包 between archives (issue 16, docs/transfers.md): a department's archive writes one
for the city (send.export_transfer), the city merges it into its live archive
(merge.apply_transfer), records keeps what was sent, applied and left in conflict."""

from __future__ import annotations

from desktop.core.transfer.merge import MergeReport, apply_transfer
from desktop.core.transfer.package import FORMAT, TransferError, open_transfer
from desktop.core.transfer.records import ConflictRow, TransferRow, open_conflicts, transfers
from desktop.core.transfer.send import SentReport, export_transfer

__all__ = ["FORMAT", "ConflictRow", "MergeReport", "SentReport", "TransferError", "TransferRow",
           "apply_transfer", "export_transfer", "open_conflicts", "open_transfer", "transfers"]
