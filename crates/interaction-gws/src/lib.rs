//! Genesys Web Services (GWS) v2 interactions adapter (work in progress).
