# A measured direct-map base (memory KASLR) in the dumps: ptdump, ptdump
# --table, trace and the inspector print its virtual addresses.
add_test(NAME dump_direct_map_base
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kaslr/dumps.sh $<TARGET_FILE:pgtviz>)
