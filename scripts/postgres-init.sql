-- docker-compose: a second database for Rasa's tracker store, next to the app's.
CREATE DATABASE rasa OWNER showroom;
\c showroom
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
