-- expect-error: cannot modify read-only table '_G'
_G.print = nil
