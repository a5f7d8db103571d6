# Runs mpi_rdf on 2 ranks and the serial materia rdf on the same multi-frame file; the CSV outputs
# must be byte-identical apart from the `# command:` metadata line.
set(args ${INPUT} --rmax 7 --bins 70 --threads 1)
execute_process(COMMAND ${MATERIA} rdf ${args} OUTPUT_FILE ${WORKDIR}/rdf_serial.csv RESULT_VARIABLE rc1)
execute_process(COMMAND ${MPIEXEC} --allow-run-as-root --oversubscribe -np 2 ${MPI_RDF} ${args}
                OUTPUT_FILE ${WORKDIR}/rdf_mpi.csv RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
    message(FATAL_ERROR "runs failed: serial ${rc1}, mpi ${rc2}")
endif()
file(STRINGS ${WORKDIR}/rdf_serial.csv serial REGEX "^[^#]|^# (frames|atoms|volume|density)")
file(STRINGS ${WORKDIR}/rdf_mpi.csv parallel REGEX "^[^#]|^# (frames|atoms|volume|density)")
list(LENGTH serial n)
if(n LESS 70)
    message(FATAL_ERROR "serial output too short (${n} lines)")
endif()
if(NOT serial STREQUAL parallel)
    message(FATAL_ERROR "mpi_rdf output differs from materia rdf")
endif()
message(STATUS "mpi_rdf on 2 ranks == serial materia rdf (${n} lines compared)")
