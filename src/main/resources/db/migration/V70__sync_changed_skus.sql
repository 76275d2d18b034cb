-- The sync report also lists which SKUs changed and the value written (JSON, capped like skipped_skus).
alter table sync_run add column changed_skus text;
