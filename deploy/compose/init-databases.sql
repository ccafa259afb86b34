-- one database per service that owns data (DESIGN.md); run once by the postgres image on an empty volume
CREATE DATABASE switchboard_chat;
CREATE DATABASE switchboard_workflow;
CREATE DATABASE switchboard_ai;
