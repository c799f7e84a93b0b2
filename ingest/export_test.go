package ingest

// LooksPersonal exposes looksPersonal to the external tests.
var LooksPersonal = looksPersonal
