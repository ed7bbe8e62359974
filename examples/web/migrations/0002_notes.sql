-- The application's own data: notes, in schema app, owned by the same owner role. The application's
-- role reads and writes its rows; it does not change the table.
CREATE TABLE app.note (
	id serial PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth.auth_user (id) ON DELETE CASCADE,
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX note_user_id_idx ON app.note (user_id, id);

GRANT SELECT, INSERT, DELETE ON app.note TO web_app;
GRANT USAGE ON SEQUENCE app.note_id_seq TO web_app;
