//! Vonage Contact Center (VCC) Interactions API adapter (work in progress).
