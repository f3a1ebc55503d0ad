-- +up
SELECT 1;
-- +down
SELECT 2;