"""Each adapter owns one AWS service or one file format."""
