@echo off
rem kata.cmd: the Divergence Dojo command line on Windows. Builds the harness on first use,
rem then runs the CLI in one JVM. Needs only a JDK 17+ (JAVA_HOME or java on the PATH).
setlocal
set "ROOT=%~dp0"
if "%ROOT:~-1%"=="\" set "ROOT=%ROOT:~0,-1%"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
set "CPFILE=%ROOT%\harness\target\dojo.classpath"
if not exist "%CPFILE%" (
  echo dojo: building the harness ^(the first time downloads DJL and PyTorch, ~110 MB^)... 1>&2
  pushd "%ROOT%"
  call mvnw.cmd -q -B -pl harness -DskipTests compile 1>&2 || (popd & exit /b 3)
  popd
)
rem "set /p" stops at 1024 characters; the class path is longer
for /f "usebackq delims=" %%a in ("%CPFILE%") do set "DEPS=%%a"
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -Ddojo.root="%ROOT%" -Dai.djl.offline=true -cp "%ROOT%\harness\target\classes;%DEPS%" dev.dojo.cli.Client %*
exit /b %ERRORLEVEL%
