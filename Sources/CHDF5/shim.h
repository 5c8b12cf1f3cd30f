// Debian installs the serial HDF5 headers under hdf5/serial, outside the default include path.
#include <hdf5/serial/hdf5.h>
