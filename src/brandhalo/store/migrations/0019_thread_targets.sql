-- How a post_targets row came about (brandhalo.store.threads): NULL, the post names the target
-- (the matcher's rows, as before); 'thread', a comment or reply naming no target counts for
-- the targets of the post it sits under (config `analysis.thread_targets`), with its own
-- sentiment as the label.
ALTER TABLE post_targets ADD COLUMN method VARCHAR;
