-- A sales or market row may give revenue and no units (a 新茶饮 or retail panel of 销售额 by
-- brand and month): units is NULL there, and the market metrics read revenue with
-- `--measure revenue` (value share). A row with neither is quarantined at ingest
-- (brandhalo.ingest.schemas: one_of units, revenue). The market table gains the revenue
-- column the sales table has had since 0001, and the sales table a store count (门店数):
-- neither is part of a row key, so the ids rows have stay as they were.
ALTER TABLE sales ALTER COLUMN units DROP NOT NULL;
ALTER TABLE market ALTER COLUMN units DROP NOT NULL;
ALTER TABLE market ADD COLUMN revenue DOUBLE;
ALTER TABLE sales ADD COLUMN stores DOUBLE;
