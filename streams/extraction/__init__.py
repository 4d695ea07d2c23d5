"""Running the extractor for the stream and for replay: in a child process, with failures isolated, and the
cache of recent extractions that identical copies reuse."""
