-- Validates the wider dimension check 0005 added NOT VALID. VALIDATE
-- CONSTRAINT scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets
-- the store statement's inserts and updates and the stats reads go on; it
-- is its own file because the migrate job runs each file in one transaction,
-- and in 0005's the scan would have held that file's ACCESS EXCLUSIVE lock.
alter table click_hourly_dimensions validate constraint click_hourly_dimensions_dimension_check;
