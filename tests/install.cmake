# Installed like a Debian program (tests/install.sh): `cmake --install` into
# a temporary prefix, then the installed binary exports from another
# directory and finds its themes and gallery under PREFIX/share/pgtviz;
# PGTVIZ_DATA_DIR overrides that.
if(PGTVIZ_UI)
  add_test(NAME install_prefix COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install.sh
    ${CMAKE_BINARY_DIR} ${CMAKE_COMMAND})
  set_tests_properties(install_prefix PROPERTIES TIMEOUT 600 LABELS install)
endif()
