-- +up
CREATE TABLE log (msg TEXT); -- a comment; with a semicolon
INSERT INTO log VALUES ('a;b');
/* block; comment */ INSERT INTO log VALUES ('c''d;');
CREATE TRIGGER t AFTER INSERT ON log BEGIN SELECT 1; END;
-- +down
DROP TRIGGER t; DROP TABLE log;
