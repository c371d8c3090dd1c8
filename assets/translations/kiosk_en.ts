<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>Kiosk</name>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="179"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="176"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="180"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="177"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="181"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="146"/>
        <source>Contact tracing</source>
        <translation>Contact tracing</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="182"/>
        <location filename="../../kiosk/ui/admin_device.py" line="192"/>
        <source>This device</source>
        <translation>This device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="185"/>
        <source>Lock screen</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="220"/>
        <source>The new PIN is saved</source>
        <translation>The new PIN is saved</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="301"/>
        <source>Tap again to quit</source>
        <translation>Tap again to quit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="309"/>
        <source>Quit the kiosk</source>
        <translation>Quit the kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="246"/>
        <source>Save to:</source>
        <translation>Save to:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="247"/>
        <source>Find USB</source>
        <translation>Find USB</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="248"/>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="288"/>
        <source>USB found: {names}. The export goes there</source>
        <translation>USB found: {names}. The export goes there</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="291"/>
        <source>No USB stick found. Plug one in, wait a few seconds, tap Find USB again</source>
        <translation>No USB stick found. Plug one in, wait a few seconds, tap Find USB again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="308"/>
        <source>USB: {name}</source>
        <translation>USB: {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="310"/>
        <source>Kiosk data folder</source>
        <translation>Kiosk data folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="369"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="431"/>
        <source>Personal QR</source>
        <translation>Personal QR</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="434"/>
        <location filename="../../kiosk/ui/texts.py" line="117"/>
        <source>Vaccine certificate</source>
        <translation>Vaccine certificate</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="435"/>
        <location filename="../../kiosk/ui/manual.py" line="318"/>
        <location filename="../../kiosk/ui/scan_page.py" line="342"/>
        <location filename="../../kiosk/ui/scan_page.py" line="546"/>
        <location filename="../../kiosk/ui/texts.py" line="118"/>
        <source>Manual entry</source>
        <translation>Manual entry</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="436"/>
        <location filename="../../kiosk/ui/texts.py" line="119"/>
        <source>Venue code</source>
        <translation>Venue code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="437"/>
        <location filename="../../kiosk/ui/texts.py" line="120"/>
        <source>Unknown code</source>
        <translation>Unknown code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="193"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="194"/>
        <source>Device ID</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="195"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="196"/>
        <source>Waiting to send</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="197"/>
        <source>Personal data</source>
        <translation>Personal data</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="198"/>
        <source>Health authority key</source>
        <translation>Health authority key</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="199"/>
        <source>Signed documents</source>
        <translation>Signed documents</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="200"/>
        <source>Same fingerprint: enroll</source>
        <translation>Same fingerprint: enroll</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="201"/>
        <source>Different: cancel</source>
        <translation>Different: cancel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="202"/>
        <location filename="../../kiosk/ui/admin_device.py" line="206"/>
        <location filename="../../kiosk/ui/admin_device.py" line="329"/>
        <source>Enroll this device</source>
        <translation>Enroll this device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="203"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="185"/>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="204"/>
        <source>Enrollment code</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="207"/>
        <source>Privacy notice</source>
        <translation>Privacy notice</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="209"/>
        <source>An A4 poster (a Vietnamese and an English page) that says what the kiosk keeps, for how long and who can open it (Decree 13/2023/NĐ-CP). Print it and put it up beside the kiosk. Who runs the checkpoint is set in Settings.</source>
        <translation>An A4 poster (a Vietnamese and an English page) that says what the kiosk keeps, for how long and who can open it (Decree 13/2023/NĐ-CP). Print it and put it up beside the kiosk. Who runs the checkpoint is set in Settings.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="216"/>
        <source>Save the poster (PDF)</source>
        <translation>Save the poster (PDF)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="252"/>
        <source>Not enrolled: the kiosk works offline</source>
        <translation>Not enrolled: the kiosk works offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="263"/>
        <source>Sealed to the health authority&apos;s key {key}</source>
        <translation>Sealed to the health authority&apos;s key {key}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="265"/>
        <source>NOT KEPT: this kiosk has no health authority key. Scans are recorded with their time and masked name only: no ID number, full name or phone for the health officer. Enroll this device and let it sync, or reinstall with --authority-key.</source>
        <translation>NOT KEPT: this kiosk has no health authority key. Scans are recorded with their time and masked name only: no ID number, full name or phone for the health officer. Enroll this device and let it sync, or reinstall with --authority-key.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="272"/>
        <source>{n} records without personal data.</source>
        <translation>{n} records without personal data.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="274"/>
        <source>{n} records</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="276"/>
        <source>{n} refused by the server</source>
        <translation>{n} refused by the server</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="289"/>
        <location filename="../../kiosk/ui/admin_device.py" line="310"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="279"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="286"/>
        <source>Not saved: {reason}</source>
        <translation>Not saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="294"/>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="304"/>
        <source>Poster saved to {path}: print it on A4</source>
        <translation>Poster saved to {path}: print it on A4</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="328"/>
        <source>Read from the QR code. Check the server address, then tap “{button}”.</source>
        <translation>Read from the QR code. Check the server address, then tap “{button}”.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="359"/>
        <source>Not a server address: {reason}</source>
        <translation>Not a server address: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="363"/>
        <source>Enter the server address and the enrollment code</source>
        <translation>Enter the server address and the enrollment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="367"/>
        <location filename="../../kiosk/ui/admin_device.py" line="501"/>
        <source>Use an https:// address (plain http only to this machine)</source>
        <translation>Use an https:// address (plain http only to this machine)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="376"/>
        <source>Asking the server for the health authority&apos;s key…</source>
        <translation>Asking the server for the health authority&apos;s key…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="388"/>
        <source>This server offers no health authority key: it cannot be trusted yet</source>
        <translation>This server offers no health authority key: it cannot be trusted yet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="393"/>
        <source>The server&apos;s health authority key: {fingerprint}. Compare it with the fingerprint on the health authority&apos;s sheet.</source>
        <translation>The server&apos;s health authority key: {fingerprint}. Compare it with the fingerprint on the health authority&apos;s sheet.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="401"/>
        <source>Compare the fingerprint, then confirm</source>
        <translation>Compare the fingerprint, then confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="415"/>
        <source>Not enrolled: the fingerprint was not the authority&apos;s</source>
        <translation>Not enrolled: the fingerprint was not the authority&apos;s</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="424"/>
        <source>Enrolling…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="463"/>
        <source>Enrolled, but the settings were not saved: {reason}</source>
        <translation>Enrolled, but the settings were not saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="485"/>
        <source>Enrolled as checkpoint {name}</source>
        <translation>Enrolled as checkpoint {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="494"/>
        <source>The enrollment code was refused (wrong, used or expired)</source>
        <translation>The enrollment code was refused (wrong, used or expired)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="496"/>
        <source>This device is enrolled already: ask the site manager for a code issued for this device</source>
        <translation>This device is enrolled already: ask the site manager for a code issued for this device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="503"/>
        <source>The server&apos;s health authority key is not usable</source>
        <translation>The server&apos;s health authority key is not usable</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="505"/>
        <source>The server could not be reached: {reason}</source>
        <translation>The server could not be reached: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="507"/>
        <location filename="../../kiosk/ui/admin_device.py" line="510"/>
        <source>Enrollment failed: {reason}</source>
        <translation>Enrollment failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="522"/>
        <location filename="../../kiosk/ui/admin_device.py" line="526"/>
        <source>None pinned: nothing downloaded is believed</source>
        <translation>None pinned: nothing downloaded is believed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="534"/>
        <source>None yet</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="539"/>
        <source>{n} h old</source>
        <translation>{n} h old</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="541"/>
        <source>{n} days old</source>
        <translation>{n} days old</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="180"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Entries</source>
        <translation>Entries</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="181"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="223"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Exits</source>
        <translation>Exits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="182"/>
        <source>Peak occupancy</source>
        <translation>Peak occupancy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="183"/>
        <source>Inside at the start of the day</source>
        <translation>Inside at the start of the day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="186"/>
        <source>Entries and exits by hour</source>
        <translation>Entries and exits by hour</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Kind of code</source>
        <translation>Kind of code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>In</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Out</source>
        <translation>Out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <source>Referred</source>
        <translation>Referred</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <source>Refused</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="191"/>
        <source>Export the days:</source>
        <translation>Export the days:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="192"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="158"/>
        <source>Export CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="217"/>
        <source>The report could not be made: {reason}</source>
        <translation>The report could not be made: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="225"/>
        <source>{n} automatic</source>
        <translation>{n} automatic</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="229"/>
        <source>at {time}</source>
        <translation>at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="259"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="191"/>
        <source>Not a date: {text}</source>
        <translation>Not a date: {text}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="263"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="197"/>
        <source>The end of the period is before its start</source>
        <translation>The end of the period is before its start</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="280"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="320"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="290"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="308"/>
        <source>Not exported: {reason}</source>
        <translation>Not exported: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="284"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="293"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="303"/>
        <source>{n} records exported: {entries} entries, {exits} exits, {referred} referred, {refused} refused. File: {path}</source>
        <translation>{n} records exported: {entries} entries, {exits} exits, {referred} referred, {refused} refused. File: {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="178"/>
        <source>Camera / source</source>
        <translation>Camera / source</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="179"/>
        <source>Gate mode</source>
        <translation>Gate mode</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="180"/>
        <source>Capacity</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="181"/>
        <source>Duplicate window (seconds)</source>
        <translation>Duplicate window (seconds)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="182"/>
        <source>Verdict shown for (seconds)</source>
        <translation>Verdict shown for (seconds)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="183"/>
        <source>Accepted codes</source>
        <translation>Accepted codes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="184"/>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="186"/>
        <source>Automatic checkout time</source>
        <translation>Automatic checkout time</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="187"/>
        <source>Keep records for (days)</source>
        <translation>Keep records for (days)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="188"/>
        <source>Where the camera is</source>
        <translation>Where the camera is</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="189"/>
        <source>Who runs this checkpoint</source>
        <translation>Who runs this checkpoint</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="190"/>
        <source>How to reach them</source>
        <translation>How to reach them</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="197"/>
        <source>Above the screen</source>
        <translation>Above the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="198"/>
        <source>Below</source>
        <translation>Below</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="199"/>
        <source>Left</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="200"/>
        <source>Right</source>
        <translation>Right</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="203"/>
        <source>e.g. the market&apos;s management board</source>
        <translation>e.g. the market&apos;s management board</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="204"/>
        <source>a phone number or an address</source>
        <translation>a phone number or an address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="207"/>
        <source>0 = no limit</source>
        <translation>0 = no limit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="209"/>
        <source>The same person again within this time is not recorded twice</source>
        <translation>The same person again within this time is not recorded twice</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="212"/>
        <source>HH:MM, every night everyone still inside is checked out. Empty = off</source>
        <translation>HH:MM, every night everyone still inside is checked out. Empty = off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="214"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="315"/>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="215"/>
        <location filename="../../kiosk/ui/texts.py" line="343"/>
        <source>Not enrolled</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="216"/>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="217"/>
        <source>Undo changes</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="218"/>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="266"/>
        <source>Nothing to save: no change</source>
        <translation>Nothing to save: no change</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="291"/>
        <source>Saved and applied</source>
        <translation>Saved and applied</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="147"/>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="148"/>
        <source>Minutes before and after</source>
        <translation>Minutes before and after</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="149"/>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="150"/>
        <source>Scan the code, or type the ID or phone number</source>
        <translation>Scan the code, or type the ID or phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>from: any day</source>
        <translation>from: any day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="152"/>
        <source>to: any day</source>
        <translation>to: any day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="153"/>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Together (min)</source>
        <translation>Together (min)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="204"/>
        <source>Scan or type the person&apos;s code first</source>
        <translation>Scan or type the person&apos;s code first</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="215"/>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="243"/>
        <source>This is not a personal code, an ID number or a phone number</source>
        <translation>This is not a personal code, an ID number or a phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="254"/>
        <source>The search failed: {reason}</source>
        <translation>The search failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="260"/>
        <source>{n} people present at the same time as {key} (margin {m} min)</source>
        <translation>{n} people present at the same time as {key} (margin {m} min)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="270"/>
        <source>still inside</source>
        <translation>still inside</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="303"/>
        <source>{n} records written to {path}</source>
        <translation>{n} records written to {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/chart.py" line="77"/>
        <source>No data</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="66"/>
        <location filename="../../kiosk/ui/texts.py" line="200"/>
        <source>born {year}</source>
        <translation>born {year}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="70"/>
        <source>in at {time}</source>
        <translation>in at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="73"/>
        <source>Check out</source>
        <translation>Check out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="144"/>
        <location filename="../../kiosk/ui/pin.py" line="282"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="145"/>
        <source>Search: initials, given name or year of birth</source>
        <translation>Search: initials, given name or year of birth</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="169"/>
        <source>The list could not be read</source>
        <translation>The list could not be read</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="183"/>
        <location filename="../../kiosk/ui/scan_page.py" line="602"/>
        <location filename="../../kiosk/ui/scan_page.py" line="607"/>
        <source>Inside now: {n}</source>
        <translation>Inside now: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="191"/>
        <source>Reading the list…</source>
        <translation>Reading the list…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="193"/>
        <source>Nobody is inside</source>
        <translation>Nobody is inside</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="195"/>
        <source>{n} found, the first {m} shown: type more to narrow</source>
        <translation>{n} found, the first {m} shown: type more to narrow</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="199"/>
        <source>{n} found</source>
        <translation>{n} found</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="71"/>
        <source>Temporarily out of service, please call the site manager</source>
        <translation>Temporarily out of service, please call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="226"/>
        <source>Hold the code closer</source>
        <translation>Hold the code closer</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="226"/>
        <source>Hold the code still</source>
        <translation>Hold the code still</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="228"/>
        <source>Increase the phone&apos;s screen brightness</source>
        <translation>Increase the phone&apos;s screen brightness</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="73"/>
        <source>Fever</source>
        <translation>Fever</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="74"/>
        <source>Cough</source>
        <translation>Cough</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="75"/>
        <source>Shortness of breath</source>
        <translation>Shortness of breath</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="76"/>
        <source>Loss of taste or smell</source>
        <translation>Loss of taste or smell</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="77"/>
        <source>Contact with a case (F0) in the last 14 days</source>
        <translation>Contact with a case (F0) in the last 14 days</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="78"/>
        <source>Coming from an epidemic zone</source>
        <translation>Coming from an epidemic zone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>ID number (CCCD/CMND)</source>
        <translation>ID number (CCCD/CMND)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>Phone number</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="320"/>
        <source>Year of birth</source>
        <translation>Year of birth</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="322"/>
        <source>Proxy health declaration</source>
        <translation>Proxy health declaration</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="327"/>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="328"/>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="330"/>
        <source>Any “Yes”: the visitor sees the medical staff. Ask every question.</source>
        <translation>Any “Yes”: the visitor sees the medical staff. Ask every question.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="332"/>
        <source>Coming in or going out?</source>
        <translation>Coming in or going out?</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="335"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="336"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="342"/>
        <source>Declaration taken</source>
        <translation>Declaration taken</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="342"/>
        <source>Not declared</source>
        <translation>Not declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="414"/>
        <source>Choose IN or OUT</source>
        <translation>Choose IN or OUT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="418"/>
        <source>Health declaration: {n} questions not answered</source>
        <translation>Health declaration: {n} questions not answered</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="421"/>
        <source>Enter the visitor&apos;s full name</source>
        <translation>Enter the visitor&apos;s full name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="426"/>
        <source>Enter an ID number or a phone number</source>
        <translation>Enter an ID number or a phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="430"/>
        <source>An ID number has 12 digits (CCCD) or 9 (CMND)</source>
        <translation>An ID number has 12 digits (CCCD) or 9 (CMND)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="435"/>
        <source>A phone number has 9 to 11 digits</source>
        <translation>A phone number has 9 to 11 digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="444"/>
        <source>Year of birth: from {first} to {last}</source>
        <translation>Year of birth: from {first} to {last}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="281"/>
        <location filename="../../kiosk/ui/scan_page.py" line="547"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="282"/>
        <source>Back to scanning</source>
        <translation>Back to scanning</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="329"/>
        <source>Enter the PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="330"/>
        <source>No administration PIN is set yet. The site manager sets one on the kiosk&apos;s console: sudo kiosk set-pin</source>
        <translation>No administration PIN is set yet. The site manager sets one on the kiosk&apos;s console: sudo kiosk set-pin</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="334"/>
        <source>Choose a new PIN ({min} to {max} digits)</source>
        <translation>Choose a new PIN ({min} to {max} digits)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="337"/>
        <source>Enter the same PIN again</source>
        <translation>Enter the same PIN again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="349"/>
        <source>Locked for {n} minutes</source>
        <translation>Locked for {n} minutes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="366"/>
        <source>A PIN is {min} to {max} digits</source>
        <translation>A PIN is {min} to {max} digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="373"/>
        <source>The two PINs differ. Start again</source>
        <translation>The two PINs differ. Start again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="410"/>
        <source>Wrong PIN</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="417"/>
        <source>The stored PIN cannot be read: reset it from the command line</source>
        <translation>The stored PIN cannot be read: reset it from the command line</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="420"/>
        <source>The PIN could not be checked. Please try again</source>
        <translation>The PIN could not be checked. Please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="427"/>
        <source>Saving the PIN…</source>
        <translation>Saving the PIN…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="436"/>
        <location filename="../../kiosk/ui/pin.py" line="449"/>
        <source>The PIN could not be saved: {reason}</source>
        <translation>The PIN could not be saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="58"/>
        <source>Who collects it</source>
        <translation>Who collects it</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="60"/>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="61"/>
        <source>To record who comes in and goes out, so that the health authority can find the people who were here at the same time as a case, quickly.</source>
        <translation>To record who comes in and goes out, so that the health authority can find the people who were here at the same time as a case, quickly.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="67"/>
        <source>What is kept</source>
        <translation>What is kept</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="68"/>
        <source>When your code is scanned: your initials and given name (for example T. T. B. Ngọc), your year of birth, the time you came in and went out, and the kind of code. Your ID number, full name, address, phone and a health declaration are locked (encrypted) on the kiosk at once: only the health authority can open them.</source>
        <translation>When your code is scanned: your initials and given name (for example T. T. B. Ngọc), your year of birth, the time you came in and went out, and the kind of code. Your ID number, full name, address, phone and a health declaration are locked (encrypted) on the kiosk at once: only the health authority can open them.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="77"/>
        <source>For how long</source>
        <translation>For how long</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="78"/>
        <source>{days} days, then deleted automatically.</source>
        <translation>{days} days, then deleted automatically.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="81"/>
        <source>Who can open it</source>
        <translation>Who can open it</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="82"/>
        <source>Only the health authority, to trace contacts in an epidemic; every opening is recorded. The guard and the site manager see initials and years of birth only.</source>
        <translation>Only the health authority, to trace contacts in an epidemic; every opening is recorded. The guard and the site manager see initials and years of birth only.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="88"/>
        <source>Your rights</source>
        <translation>Your rights</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="89"/>
        <source>Under Decree 13/2023/NĐ-CP on personal data protection you may ask what is kept about you, and ask for it to be corrected or deleted: ask the site manager.</source>
        <translation>Under Decree 13/2023/NĐ-CP on personal data protection you may ask what is kept about you, and ask for it to be corrected or deleted: ask the site manager.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="99"/>
        <source>Decree 13/2023/NĐ-CP on personal data protection · made by the kiosk on {date}</source>
        <translation>Decree 13/2023/NĐ-CP on personal data protection · made by the kiosk on {date}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="101"/>
        <source>Your personal data at this checkpoint</source>
        <translation>Your personal data at this checkpoint</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="543"/>
        <source>DEMO MODE</source>
        <translation>DEMO MODE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="548"/>
        <source>Tiếng Việt</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="550"/>
        <source>CCCD: code at the top right</source>
        <translation>CCCD: code at the top right</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="563"/>
        <source>The camera is not working: use the hand scanner or Manual entry</source>
        <translation>The camera is not working: use the hand scanner or Manual entry</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="607"/>
        <source>Inside: {n}</source>
        <translation>Inside: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="616"/>
        <source>in {n} · out {m}</source>
        <translation>in {n} · out {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="616"/>
        <source>Today: in {n} · out {m}</source>
        <translation>Today: in {n} · out {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="625"/>
        <source>Clock not synchronised</source>
        <translation>Clock not synchronised</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="677"/>
        <source>No sound device</source>
        <translation>No sound device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="114"/>
        <source>Personal QR code</source>
        <translation>Personal QR code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="115"/>
        <source>Chip ID card (CCCD)</source>
        <translation>Chip ID card (CCCD)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="116"/>
        <source>Health-insurance card (BHYT)</source>
        <translation>Health-insurance card (BHYT)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="126"/>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>IN</source>
        <translation>IN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="126"/>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>OUT</source>
        <translation>OUT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>AUTO</source>
        <translation>AUTO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="135"/>
        <source>Full inside, please wait</source>
        <translation>Full inside, please wait</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="136"/>
        <source>Under quarantine, please see the medical staff</source>
        <translation>Under quarantine, please see the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="138"/>
        <source>Under health monitoring (yellow)</source>
        <translation>Under health monitoring (yellow)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="139"/>
        <source>This kind of code is not accepted here</source>
        <translation>This kind of code is not accepted here</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="140"/>
        <source>This is the place&apos;s code. Please show your personal code</source>
        <translation>This is the place&apos;s code. Please show your personal code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="141"/>
        <source>Code not recognised. Please show your personal QR, ID card or health-insurance card</source>
        <translation>Code not recognised. Please show your personal QR, ID card or health-insurance card</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="144"/>
        <source>The certificate&apos;s signature is not valid</source>
        <translation>The certificate&apos;s signature is not valid</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="145"/>
        <source>The certificate could not be checked on this kiosk</source>
        <translation>The certificate could not be checked on this kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="146"/>
        <source>Certificate expired</source>
        <translation>Certificate expired</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="147"/>
        <source>The certificate states no expiry date</source>
        <translation>The certificate states no expiry date</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="148"/>
        <source>Health declaration: please see the medical staff</source>
        <translation>Health declaration: please see the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="149"/>
        <source>The health declaration in this code is not genuine</source>
        <translation>The health declaration in this code is not genuine</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="152"/>
        <source>No health declaration: please declare, or see the staff</source>
        <translation>No health declaration: please declare, or see the staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="153"/>
        <source>The health declaration is too old: please declare again</source>
        <translation>The health declaration is too old: please declare again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="154"/>
        <source>Symptoms declared</source>
        <translation>Symptoms declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="155"/>
        <source>Contact with a case or travel declared</source>
        <translation>Contact with a case or travel declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="156"/>
        <source>This place needs a health declaration: please declare first</source>
        <translation>This place needs a health declaration: please declare first</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="159"/>
        <source>Closed by the nightly checkout</source>
        <translation>Closed by the nightly checkout</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="182"/>
        <source>PLEASE WAIT</source>
        <translation>PLEASE WAIT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="184"/>
        <source>COME IN</source>
        <translation>COME IN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="185"/>
        <source>GOODBYE</source>
        <translation>GOODBYE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="186"/>
        <source>SEE THE MEDICAL STAFF</source>
        <translation>SEE THE MEDICAL STAFF</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="187"/>
        <source>WRONG CODE</source>
        <translation>WRONG CODE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="188"/>
        <source>NO ENTRY</source>
        <translation>NO ENTRY</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="189"/>
        <source>NOT RECORDED</source>
        <translation>NOT RECORDED</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="215"/>
        <source>Already recorded at {time}</source>
        <translation>Already recorded at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="225"/>
        <source>Exit recorded</source>
        <translation>Exit recorded</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="242"/>
        <source>no symptoms</source>
        <translation>no symptoms</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="245"/>
        <source>symptoms declared</source>
        <translation>symptoms declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="245"/>
        <source>contact or travel declared</source>
        <translation>contact or travel declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="246"/>
        <source>Declared at {time}</source>
        <translation>Declared at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="253"/>
        <source>The kiosk&apos;s storage is full: scans are not being recorded</source>
        <translation>The kiosk&apos;s storage is full: scans are not being recorded</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="254"/>
        <source>Guard: write each visitor&apos;s name and phone on paper, call the site manager</source>
        <translation>Guard: write each visitor&apos;s name and phone on paper, call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="256"/>
        <source>The record could not be saved. Scan the code once more</source>
        <translation>The record could not be saved. Scan the code once more</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="257"/>
        <source>Guard: if it fails again, write the name and phone on paper, call the site manager</source>
        <translation>Guard: if it fails again, write the name and phone on paper, call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="267"/>
        <source>Storage full: NOT recording. Call the site manager</source>
        <translation>Storage full: NOT recording. Call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="269"/>
        <source>Storage almost full: call the site manager</source>
        <translation>Storage almost full: call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="276"/>
        <source>Camera: starting</source>
        <translation>Camera: starting</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="277"/>
        <location filename="../../kiosk/ui/texts.py" line="289"/>
        <source>Camera disconnected</source>
        <translation>Camera disconnected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="278"/>
        <source>Camera shows nothing (covered?)</source>
        <translation>Camera shows nothing (covered?)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="286"/>
        <source>The camera shows nothing</source>
        <translation>The camera shows nothing</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="287"/>
        <source>Is it covered or turned away? Meanwhile:</source>
        <translation>Is it covered or turned away? Meanwhile:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="290"/>
        <source>Codes cannot be read by the camera. Meanwhile:</source>
        <translation>Codes cannot be read by the camera. Meanwhile:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="297"/>
        <source>Scan the code with the hand scanner (USB), it still works</source>
        <translation>Scan the code with the hand scanner (USB), it still works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="298"/>
        <source>No scanner, or no code: the guard taps Manual entry</source>
        <translation>No scanner, or no code: the guard taps Manual entry</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="308"/>
        <source>Hold your QR code up to the camera above the screen</source>
        <translation>Hold your QR code up to the camera above the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="309"/>
        <source>Hold your QR code to the camera below the screen</source>
        <translation>Hold your QR code to the camera below the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="310"/>
        <source>Hold your QR code to the camera left of the screen</source>
        <translation>Hold your QR code to the camera left of the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="311"/>
        <source>Hold your QR code to the camera right of the screen</source>
        <translation>Hold your QR code to the camera right of the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="318"/>
        <source>Personal QR (phone or paper)</source>
        <translation>Personal QR (phone or paper)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="318"/>
        <source>Chip ID card: the code is at the top right</source>
        <translation>Chip ID card: the code is at the top right</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="323"/>
        <source>just now</source>
        <translation>just now</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="325"/>
        <source>{n} min ago</source>
        <translation>{n} min ago</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="327"/>
        <source>{n} h ago</source>
        <translation>{n} h ago</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="328"/>
        <source>{n} days ago</source>
        <translation>{n} days ago</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="343"/>
        <source>Offline (not enrolled)</source>
        <translation>Offline (not enrolled)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="345"/>
        <source>Needs re-enrollment</source>
        <translation>Needs re-enrollment</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="351"/>
        <source>No authority key</source>
        <translation>No authority key</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="353"/>
        <source>Server data refused</source>
        <translation>Server data refused</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="357"/>
        <location filename="../../kiosk/ui/texts.py" line="363"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="358"/>
        <source>never synced</source>
        <translation>never synced</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="363"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="365"/>
        <source>last synced {ago}</source>
        <translation>last synced {ago}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="367"/>
        <source>{n} waiting</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="367"/>
        <source>{n} waiting to send</source>
        <translation>{n} waiting to send</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="374"/>
        <source>Entries and exits are kept {days} days for contact tracing</source>
        <translation>Entries and exits are kept {days} days for contact tracing</translation>
    </message>
    <message>
        <source>Choose a new PIN (4 to 8 digits)</source>
        <translation type="obsolete">Choose a new PIN (4 to 8 digits)</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits</source>
        <translation type="obsolete">A PIN is 4 to 8 digits</translation>
    </message>
    <message>
        <source>Export the days</source>
        <translation type="obsolete">Export the days</translation>
    </message>
    <message>
        <source>{n} records written to {path}: {entries} entries, {exits} exits, {referred} referred, {refused} refused</source>
        <translation type="obsolete">{n} records written to {path}: {entries} entries, {exits} exits, {referred} referred, {refused} refused</translation>
    </message>
    <message>
        <source>Guard: write down the person&apos;s name and phone, let them in by the site&apos;s rules, and call the site manager</source>
        <translation type="obsolete">Guard: write down the person&apos;s name and phone, let them in by the site&apos;s rules, and call the site manager</translation>
    </message>
    <message>
        <source>Margin (minutes)</source>
        <translation type="obsolete">Margin (minutes)</translation>
    </message>
    <message>
        <source>Camera OK</source>
        <translation type="obsolete">Camera OK</translation>
    </message>
    <message>
        <source>last synced {n} min ago</source>
        <translation type="obsolete">last synced {n} min ago</translation>
    </message>
    <message>
        <source>Any “Yes”: the visitor sees the medical staff</source>
        <translation type="obsolete">Any “Yes”: the visitor sees the medical staff</translation>
    </message>
    <message>
        <source>Declared</source>
        <translation type="obsolete">Declared</translation>
    </message>
    <message>
        <source>Put the QR code in the frame</source>
        <translation type="obsolete">Put the QR code in the frame</translation>
    </message>
    <message>
        <source>Signature not verified (no key list)</source>
        <translation type="obsolete">Signature not verified (no key list)</translation>
    </message>
    <message>
        <source>Welcome in</source>
        <translation type="obsolete">Welcome in</translation>
    </message>
    <message>
        <source>Please see the medical staff</source>
        <translation type="obsolete">Please see the medical staff</translation>
    </message>
    <message>
        <source>Entry not allowed</source>
        <translation type="obsolete">Entry not allowed</translation>
    </message>
    <message>
        <source>Storage is full. Please call the site manager</source>
        <translation type="obsolete">Storage is full. Please call the site manager</translation>
    </message>
    <message>
        <source>The record could not be saved. Please try again or call the site manager</source>
        <translation type="obsolete">The record could not be saved. Please try again or call the site manager</translation>
    </message>
    <message>
        <source>Storage full: scans are NOT recorded. Call the site manager</source>
        <translation type="obsolete">Storage full: scans are NOT recorded. Call the site manager</translation>
    </message>
    <message>
        <source>Minutes together</source>
        <translation type="obsolete">Minutes together</translation>
    </message>
    <message>
        <source>Look for USB again</source>
        <translation type="obsolete">Look for USB again</translation>
    </message>
    <message>
        <source>English</source>
        <translation type="obsolete">English</translation>
    </message>
</context>
</TS>
