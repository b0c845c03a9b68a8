"""What every HTTP handler shares: the resolver, problem responses, the caller's identity."""
