; The Windows installer of Zicha for one bureau. Compiled by packaging/windows/nsis.py, which
; passes everything bureau-specific as defines:
;   makensis -INPUTCHARSET UTF8 -DBUNDLE_DIR=dist\zicha -DBUREAU_CODE=WZ-CWB
;            -DTITLE=吴州市创文材料自查档案 -DVERSION=0.1.0 -DVERSION4=0.1.0.0
;            -DLICENSE_FILE=LICENSE.txt -DUNINSTALL_LIST=uninstall-files.nsh
;            -DOUTFILE=zicha-setup.exe [-DICON=zicha.ico] [-DGUI_EXE=zicha-gui.exe]
;            [-DCLI_EXE=zicha.exe] zicha.nsi
; UNINSTALL_LIST holds one Delete/RMDir line per file and folder of the bundle, so the
; uninstaller removes exactly what was installed (never a recursive delete of $INSTDIR).

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include MUI2.nsh
!include x64.nsh
!include FileFunc.nsh

!ifndef BUNDLE_DIR | BUREAU_CODE | TITLE | VERSION | VERSION4 | LICENSE_FILE | UNINSTALL_LIST | OUTFILE
  !error "pass BUNDLE_DIR, BUREAU_CODE, TITLE, VERSION, VERSION4, LICENSE_FILE, UNINSTALL_LIST and OUTFILE with -D"
!endif
!ifndef GUI_EXE
  !define GUI_EXE "zicha-gui.exe"
!endif
!ifndef CLI_EXE
  !define CLI_EXE "zicha.exe"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Zicha-${BUREAU_CODE}"
!define PARENT_DIR "$PROGRAMFILES64\Zicha"

Name "${TITLE}"
OutFile "${OUTFILE}"
InstallDir "${PARENT_DIR}\${BUREAU_CODE}"
BrandingText "Zicha ${VERSION} (${BUREAU_CODE})"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=0 "ProductName" "${TITLE}"
VIAddVersionKey /LANG=0 "FileDescription" "Zicha ${VERSION} (${BUREAU_CODE})"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "AGPL-3.0-or-later"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"

!insertmacro MUI_PAGE_LICENSE "${LICENSE_FILE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString NEEDS_X64 ${LANG_SIMPCHINESE} "本程序需要 64 位 Windows。"
LangString NEEDS_X64 ${LANG_ENGLISH} "This program needs 64-bit Windows."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NEEDS_X64)"
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Zicha"
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  SetOutPath "$INSTDIR"  ; the shortcuts' working folder
  CreateShortcut "$SMPROGRAMS\${TITLE}.lnk" "$INSTDIR\${GUI_EXE}"
  CreateShortcut "$DESKTOP\${TITLE}.lnk" "$INSTDIR\${GUI_EXE}"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${TITLE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Zicha"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${TITLE}.lnk"
  Delete "$DESKTOP\${TITLE}.lnk"
  !include "${UNINSTALL_LIST}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  RMDir "${PARENT_DIR}"  ; only when no other bureau's installation is left in it
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; the archives and settings in the user's own folders (%LOCALAPPDATA%\zicha) stay
SectionEnd
