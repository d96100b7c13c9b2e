-- A snapshot completed without some objects the app's user may not read (routines, triggers,
-- events): why, in words for the owner. Null for a whole snapshot.
ALTER TABLE snapshot ADD COLUMN partial_reason TEXT;
