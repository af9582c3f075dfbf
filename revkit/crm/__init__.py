"""The optional ``crm/`` folder of a client: raw CRM exports, their mapping,
measured metrics and data-quality findings.

``check_crm`` reads and checks the folder (problems located by file, row and
column like the rest of the intake); ``measure`` turns the result into the
``measured`` part of ``results.json``.
"""

from revkit.crm.check import CrmData, check_crm
from revkit.crm.measure import measure

__all__ = ["CrmData", "check_crm", "measure"]
