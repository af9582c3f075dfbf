"""The optional ``crm/`` folder of a client: raw CRM exports read through a mapping.

``check_crm`` reads and checks the folder (problems located by file, row and
column like the rest of the intake); ``revkit.method.crm`` measures the result.
"""

from revkit.intake.crm.check import CrmData, check_crm

__all__ = ["CrmData", "check_crm"]
