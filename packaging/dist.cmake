# cmake -DSRC=dir -DNAME=pxesuite-X.Y.Z -DVERSION=X.Y.Z -DOUT=dir -P dist.cmake
# Tars the files git knows or would know (tracked and not ignored, so it
# works before the first commit) under NAME/, into OUT/NAME.tar.gz.

file(STRINGS ${SRC}/packaging/pxesuite.spec spec_version REGEX "^Version:")
if(NOT spec_version MATCHES "[ \t]${VERSION}$")
  message(FATAL_ERROR "packaging/pxesuite.spec says '${spec_version}', "
                      "the project is ${VERSION}: update the spec")
endif()

execute_process(
  COMMAND git -C ${SRC} ls-files --cached --others --exclude-standard
  OUTPUT_VARIABLE files OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dist needs a git work tree at ${SRC}")
endif()
string(REPLACE "\n" ";" files "${files}")

# Stage NAME as a link to the source tree so paths in the archive carry it.
set(stage ${OUT}/dist-stage)
file(REMOVE_RECURSE ${stage})
file(MAKE_DIRECTORY ${stage})
file(CREATE_LINK ${SRC} ${stage}/${NAME} SYMBOLIC)
set(list_file ${stage}/files.txt)
file(WRITE ${list_file} "")
foreach(f ${files})
  if(EXISTS ${SRC}/${f})   # deleted in the work tree but still in the index
    file(APPEND ${list_file} "${NAME}/${f}\n")
  endif()
endforeach()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E tar czf ${OUT}/${NAME}.tar.gz --format=pax
          --files-from=${list_file}
  WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc)
file(REMOVE_RECURSE ${stage})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tar failed")
endif()
message(STATUS "Wrote ${OUT}/${NAME}.tar.gz")
