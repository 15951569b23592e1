-- Cylc rewrites tasks_to_hold whole and only ever appends to
-- absolute_outputs; Gyre writes them one row at a time and checks for an
-- existing row first, which these indexes keep from scanning the table.
-- They are plain (not UNIQUE) indexes, so they cannot fail on a database
-- that already holds duplicates, and Cylc's own writes still work.
CREATE INDEX IF NOT EXISTS gyre_tasks_to_hold_task ON tasks_to_hold(name, cycle);
CREATE INDEX IF NOT EXISTS gyre_absolute_outputs_task ON absolute_outputs(cycle, name, output);
