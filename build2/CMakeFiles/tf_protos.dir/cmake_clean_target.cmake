file(REMOVE_RECURSE
  "libtf_protos.a"
)
